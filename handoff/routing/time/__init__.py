"""Working time: shifts, holidays and SLA calendars, pure Python (no Django)."""
