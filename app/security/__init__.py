"""Passwords, sessions, CSRF, headers, rate limits and who may see what."""
