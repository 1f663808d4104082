"""The Smstools API: typed models, errors and the async client. Never imports Textual."""
