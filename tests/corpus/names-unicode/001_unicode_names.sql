-- Unquoted identifiers: PostgreSQL folds only ASCII letters to lower case in a UTF-8 database.
CREATE TABLE Größe (
    Id INT PRIMARY KEY,
    Äpfel INT NOT NULL,
    ÉTAT TEXT DEFAULT 'Ü',
    "Quoted Ö" INT
);

CREATE INDEX Größe_Äpfel_IDX ON Größe (Äpfel);
ALTER TABLE Größe ADD CONSTRAINT Äpfel_Positiv CHECK (Äpfel > 0);
