"""The counseling DB: file import/export, validation and storage."""
