"""The .slo language: its generated parser, front end, comment placement and printer."""
