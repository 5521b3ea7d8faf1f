-- Starting a campaign used to save its four funnel steps as team views of the travelers screen, which put four
-- chips per campaign on everyone's travelers page. The steps stay linked from the campaign's page; the views the
-- console saved are removed. Only exact ones: the generated name ("<name> (<id start>) · <step>") and the generated
-- query of one of the campaign's steps; a view renamed or re-filtered by hand is someone's own and stays.
DELETE FROM "SavedView" v
USING "Campaign" c
WHERE v."screen" = 'travelers'
  AND v."query" IN (
    'campaign=' || c."id"::text || '&step=issued',
    'campaign=' || c."id"::text || '&step=installed',
    'campaign=' || c."id"::text || '&step=activated',
    'campaign=' || c."id"::text || '&step=crossed80'
  )
  AND left(v."name", length(c."name" || ' (' || left(c."id"::text, 8) || ') · '))
    = c."name" || ' (' || left(c."id"::text, 8) || ') · ';
