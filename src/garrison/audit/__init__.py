"""The audit log. This release: sinks for audit events (the tamper-evident log comes with its issue)."""
