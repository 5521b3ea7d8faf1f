import { styled } from "./styled";

/** The one surface of every card and panel: the theme's border (never the text colour), the card background. */
export const cardSurface = "rounded-lg border border-border bg-card shadow-sm";

export const Card = styled("div", cardSurface, "Card");
export const CardHeader = styled("div", "flex flex-col gap-1 p-5 pb-3", "CardHeader");
export const CardTitle = styled("h2", "text-base font-semibold", "CardTitle");
export const CardDescription = styled("p", "text-sm text-muted-foreground", "CardDescription");
export const CardContent = styled("div", "p-5 pt-0", "CardContent");
