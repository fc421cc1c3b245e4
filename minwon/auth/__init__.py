"""Console users, passwords and login sessions."""
