"""Data-centre side of a zone: VLANs by vSphere, or a handover document for the vendor."""
