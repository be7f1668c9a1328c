"""The Salesforce + Marketo sample generator behind seeds/generate_sample.py (see its docstring)."""
