"""plans: exports."""
