"""plans: pages."""
