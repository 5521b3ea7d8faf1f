import { styled } from "./styled";

export const Card = styled("div", "rounded-lg border border-border bg-card shadow-sm", "Card");
export const CardHeader = styled("div", "flex flex-col gap-1 p-5 pb-3", "CardHeader");
export const CardTitle = styled("h2", "text-base font-semibold", "CardTitle");
export const CardDescription = styled("p", "text-sm text-muted-foreground", "CardDescription");
export const CardContent = styled("div", "p-5 pt-0", "CardContent");
