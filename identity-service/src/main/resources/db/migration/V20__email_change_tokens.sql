-- A user's own email change waits for the link mailed to the new address: a token of its own
-- purpose that carries the address it confirms. A token is only good for its own purpose.
ALTER TABLE password_tokens DROP CONSTRAINT password_tokens_purpose_check;
ALTER TABLE password_tokens ADD CONSTRAINT password_tokens_purpose_check
    CHECK (purpose IN ('invitation', 'reset', 'email_change'));
ALTER TABLE password_tokens ADD COLUMN new_email varchar(320);
ALTER TABLE password_tokens ADD CONSTRAINT password_tokens_new_email_check
    CHECK ((purpose = 'email_change') = (new_email IS NOT NULL));
