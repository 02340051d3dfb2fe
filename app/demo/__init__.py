"""The invented demo organisation (`trip demo`): its steps are in app.demo.service."""
