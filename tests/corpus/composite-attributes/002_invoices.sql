CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    customer_id bigint REFERENCES customers,
    ship_to postal_address,
    lines billing.line[]
);
