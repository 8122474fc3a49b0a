"""Reading and writing forms: JSON, Excel, PDF.  Uses the domain only; no Qt here."""
