ALTER TYPE ticket_status ADD VALUE 'waiting' BEFORE 'closed';
