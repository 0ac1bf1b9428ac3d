"""What the tests share: helpers (``from tests.support.audits import new_audit``) and fixtures/."""
