"""Small widgets with one job each: dials, spin boxes, cards, tables, dialogs."""
