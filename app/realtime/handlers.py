"""Socket.IO event handlers (filled in by the live-updates work)."""
