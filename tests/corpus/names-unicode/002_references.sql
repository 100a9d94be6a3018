-- Unquoted non-ASCII names written again later resolve to the names PostgreSQL stored.
CREATE TABLE Kopie (LIKE Größe INCLUDING DEFAULTS);

CREATE SEQUENCE Zähler OWNED BY Größe.Äpfel;
ALTER SEQUENCE Zähler OWNED BY Kopie.Äpfel;

CREATE FUNCTION Prüfen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.Äpfel := NEW.Äpfel + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER Größe_Prüfen BEFORE INSERT ON Größe FOR EACH ROW EXECUTE FUNCTION Prüfen();
