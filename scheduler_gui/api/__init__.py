"""The LearningStudio HTTP client (httpx): authentication, errors, retries, saving."""
