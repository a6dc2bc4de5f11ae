"""A FHIR R4 (4.0.1) read and search API under /fhir/R4/ over the apps' readers (docs/fhir.md)."""
