-- Quoted, mixed-case, reserved-word and spaced identifiers.
CREATE TABLE "Order" (
    "Id" integer PRIMARY KEY,
    "userId" integer NOT NULL,
    "select" text,
    "from" integer DEFAULT 1,
    "my column" text UNIQUE,
    "Total Amount" numeric CHECK ("Total Amount" >= 0),
    "desc" text,
    "user" text,
    plain text,
    CONSTRAINT "Order_userId_positive" CHECK ("userId" > 0)
);
CREATE INDEX "Order_userId_idx" ON "Order" ("userId");
CREATE INDEX ON "Order" ("select", "from");
CREATE TABLE "select" ("table" integer PRIMARY KEY, "column" text);
CREATE TABLE "my table" (id integer PRIMARY KEY, "order id" integer REFERENCES "Order" ("Id"));
CREATE TABLE "user" (id integer, "select" integer REFERENCES "select");
CREATE TABLE order_lines (
    id integer PRIMARY KEY,
    "orderId" integer REFERENCES "Order",
    qty integer CONSTRAINT "Qty Positive" CHECK (qty > 0)
);
CREATE TABLE "UPPER" ("A" int, "b" int, "Café" text);
CREATE TABLE "with""quote" ("a""b" int);
CREATE TABLE "1st" (id int, "2nd" int, _under int, "dollar$" int);
