"""Data subject rights: "My data", export, erasure, restriction, objection and the DPO's desk."""
