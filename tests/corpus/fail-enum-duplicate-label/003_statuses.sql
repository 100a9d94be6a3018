ALTER TYPE ticket_status ADD VALUE 'resolved' AFTER 'in_progress';
ALTER TYPE ticket_status ADD VALUE 'waiting';
