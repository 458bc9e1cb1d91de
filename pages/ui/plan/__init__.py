"""The plan: picker, verdict dashboard, editor and pitch-pack downloads."""
