"""Code generation: org snapshot → typed pydantic models."""
