"""The participant's pages (phone.py), and the words they show in the participant's
reading mode, English or Easy Read (words.py)."""
