"""One mapper per FHIR resource type, each reading through its app's access layer."""
