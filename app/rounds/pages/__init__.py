"""Rounds' template contexts and the show_… functions that render its pages and fragments."""
