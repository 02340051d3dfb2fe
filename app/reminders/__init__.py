"""Reminders that arrive: email notices of due actions and reviews, and a weekly digest."""
