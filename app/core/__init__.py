"""The neutral core (imports no domain and no other layer): levels and section codes, the
figures and the floor, the disclosure check, join codes and their QR, dates, naming, the
one refusal."""
