import * as React from "react";
import { HiddenFields } from "./hidden-fields";
import { SubmitButton } from "./submit-button";

/** A form of one button that sends `fields` to the action: Pause, Resume, "Ask Hubby again". */
export function ActionButton({
  action,
  fields,
  ...button
}: React.ComponentProps<typeof SubmitButton> & {
  action: (form: FormData) => void;
  fields: React.ComponentProps<typeof HiddenFields>["values"];
}) {
  return (
    <form action={action}>
      <HiddenFields values={fields} />
      <SubmitButton {...button} />
    </form>
  );
}
