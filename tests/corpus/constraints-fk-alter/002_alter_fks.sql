-- ALTER TABLE ... ADD FOREIGN KEY, NOT VALID, VALIDATE, self reference.
ALTER TABLE notes ADD FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE notes ADD CONSTRAINT notes_deal_fk FOREIGN KEY (deal_id) REFERENCES sales.deals NOT VALID;
ALTER TABLE sales.deals ADD CONSTRAINT deals_owner_fk FOREIGN KEY (owner_id) REFERENCES accounts ON DELETE SET NULL NOT VALID;
ALTER TABLE sales.deals VALIDATE CONSTRAINT deals_owner_fk;
ALTER TABLE sales.deals ADD COLUMN parent_id bigint REFERENCES sales.deals;
ALTER TABLE notes ADD COLUMN reply_to integer REFERENCES notes ON DELETE CASCADE;
