"""The SLO arithmetic shared by rules, compile and eval: alerting, facts, budgets, PromQL."""
