"""The register of real cases: prosecutions and court cases with sources, facts and outcomes."""
