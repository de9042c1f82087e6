"""KPI data: the model, number formatting, callouts, charts and the appendix."""
