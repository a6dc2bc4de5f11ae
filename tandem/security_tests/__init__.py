"""The security suite (issue 15): API fuzzing, parameter fuzzing, XSS, uploads, sign-in floods."""
