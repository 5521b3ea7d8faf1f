"use client";
import { useState } from "react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { Columns3 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useHrefWith } from "@/components/list/use-href-with";
import { hideableColumns, type HideableColumn } from "@/lib/travelers/columns";

/** The "Columns" button before its menu has loaded: the menu's code comes with the first click (./columns-menu.tsx). */
function ColumnsButton(props: { onClick?: () => void; onPointerEnter?: () => void }) {
  return (
    <Button type="button" variant="outline" size="sm" aria-haspopup="menu" {...props}>
      <Columns3 className="h-4 w-4" aria-hidden />
      Columns
    </Button>
  );
}

const loadColumnsMenu = () => import("./columns-menu");
const ColumnsMenu = dynamic(loadColumnsMenu, { ssr: false, loading: () => <ColumnsButton /> });

/** The travelers table's "Columns" control, the table's one piece of client state besides its links. */
export function ColumnsControl({ hidden }: { hidden: HideableColumn[] }) {
  const router = useRouter();
  const href = useHrefWith();
  const [columnsMenu, setColumnsMenu] = useState(false);

  // Column visibility lives in the URL (?hide=), so a shared link or a reload shows the same columns.
  const setVisible = (column: HideableColumn, visible: boolean) => {
    const hide = hideableColumns.filter((id) => (id === column ? !visible : hidden.includes(id)));
    router.replace(href({ hide: hide.length ? hide.join(",") : null }), { scroll: false });
  };

  return columnsMenu ? (
    <ColumnsMenu hidden={hidden} setVisible={setVisible} />
  ) : (
    <ColumnsButton onClick={() => setColumnsMenu(true)} onPointerEnter={() => void loadColumnsMenu()} />
  );
}
