//! Column types: sqlparser's spellings folded to PostgreSQL's types, printed as `format_type` prints
//! them (`integer`, `character varying(20)`, `timestamp with time zone`, `text[]`).

use crate::catalog::model::Name;
use serde::Serialize;
use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, GeometricTypeKind, IntervalFields, TimezoneInfo,
};

use crate::catalog::model::{Catalog, QualName};
use crate::catalog::names::{self, object_name};

/// A type as PostgreSQL stores it: the type's internal name (`int4`, `varchar`, or a user type's
/// name with its schema), its modifiers and whether it is an array.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct TypeRef {
    /// Internal name of a built-in type (`int4`, `varchar`, `timestamptz`), or a user type's name.
    pub name: Name,
    /// Set for user-defined types (enums, domains, composites, extension types).
    pub schema: Option<Name>,
    /// Type modifiers: length, precision, scale.
    pub mods: Vec<i64>,
    /// Interval fields (`day to second`).
    pub fields: Option<&'static str>,
    pub array: bool,
}

/// What `serial`, `bigserial` and `smallserial` add besides the integer type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Serial;

impl TypeRef {
    pub fn builtin(name: &str) -> TypeRef {
        TypeRef { name: name.into(), schema: None, mods: Vec::new(), fields: None, array: false }
    }

    pub fn user(name: QualName) -> TypeRef {
        TypeRef { name: name.name, schema: Some(name.schema), mods: Vec::new(), fields: None, array: false }
    }

    pub fn array_of(mut self) -> TypeRef {
        self.array = true;
        self
    }

    pub fn element(&self) -> TypeRef {
        TypeRef { array: false, ..self.clone() }
    }

    /// The type without modifiers (what an operator or function sees).
    pub fn without_mods(&self) -> TypeRef {
        TypeRef { mods: Vec::new(), fields: None, ..self.clone() }
    }

    pub fn is(&self, name: &str) -> bool {
        !self.array && self.schema.is_none() && self.name == name
    }

    pub fn is_user(&self) -> bool {
        self.schema.is_some()
    }

    /// The type category PostgreSQL uses to resolve operators (`typcategory`).
    pub fn category(&self) -> char {
        if self.array {
            return 'A';
        }
        if self.schema.is_some() {
            return 'U';
        }
        match self.name.as_str() {
            "bool" => 'B',
            "int2" | "int4" | "int8" | "numeric" | "float4" | "float8" | "oid" | "money" => 'N',
            "text" | "varchar" | "bpchar" | "name" | "char" => 'S',
            "date" | "time" | "timetz" | "timestamp" | "timestamptz" => 'D',
            "interval" => 'T',
            "inet" | "cidr" => 'I',
            "bit" | "varbit" => 'V',
            "int4range" | "int8range" | "numrange" | "tsrange" | "tstzrange" | "daterange" => 'R',
            "point" | "line" | "lseg" | "box" | "path" | "polygon" | "circle" => 'G',
            "unknown" => 'X',
            _ => 'U',
        }
    }

    /// `format_type_with_typemod`: the name `\d` shows.
    pub fn display(&self) -> String {
        let mut out = self.display_element();
        if self.array {
            out.push_str("[]");
        }
        out
    }

    fn display_element(&self) -> String {
        if let Some(schema) = &self.schema {
            return names::qualified_type_name(schema, &self.name);
        }
        let mods = &self.mods;
        let plain = |name: &str| match mods.as_slice() {
            [] => name.to_string(),
            [n] => format!("{name}({n})"),
            [p, s, ..] => format!("{name}({p},{s})"),
        };
        match self.name.as_str() {
            "bool" => "boolean".into(),
            "int2" => "smallint".into(),
            "int4" => "integer".into(),
            "int8" => "bigint".into(),
            "float4" => "real".into(),
            "float8" => "double precision".into(),
            "varchar" => plain("character varying"),
            "bpchar" if mods.is_empty() => "bpchar".into(),
            "bpchar" => plain("character"),
            "bit" if mods.is_empty() => "\"bit\"".into(),
            "char" => "\"char\"".into(),
            "varbit" => plain("bit varying"),
            "time" | "timetz" | "timestamp" | "timestamptz" => {
                let (base, tz) = match self.name.as_str() {
                    "time" => ("time", "without"),
                    "timetz" => ("time", "with"),
                    "timestamp" => ("timestamp", "without"),
                    _ => ("timestamp", "with"),
                };
                match mods.first() {
                    Some(p) => format!("{base}({p}) {tz} time zone"),
                    None => format!("{base} {tz} time zone"),
                }
            }
            "interval" => {
                let mut out = "interval".to_string();
                if let Some(fields) = self.fields {
                    out.push(' ');
                    out.push_str(fields);
                }
                if let Some(p) = mods.first() {
                    out.push_str(&format!("({p})"));
                }
                out
            }
            other => plain(other),
        }
    }

    /// The name used in `'…'::name` casts and in function signatures: like [`TypeRef::display`] but
    /// without modifiers.
    pub fn display_without_mods(&self) -> String {
        self.without_mods().display()
    }
}

/// A built-in type looked up by its `pg_type` name (`int4`, `text`, `timestamptz`; not the SQL spellings
/// `integer` or `int`, which name no row of `pg_type`), as `format_type` prints it.
pub fn builtin_by_typname(name: &str) -> Option<String> {
    match builtin_by_name(name) {
        Some((internal, None)) if internal == name => Some(TypeRef::builtin(internal).display()),
        _ => None,
    }
}

/// Built-in types known by a single name (as written in SQL, lower case) → internal name.
fn builtin_by_name(name: &str) -> Option<(&'static str, Option<Serial>)> {
    let it = match name {
        "serial" | "serial4" => ("int4", Some(Serial)),
        "bigserial" | "serial8" => ("int8", Some(Serial)),
        "smallserial" | "serial2" => ("int2", Some(Serial)),
        "int" | "integer" | "int4" => ("int4", None),
        "smallint" | "int2" => ("int2", None),
        "bigint" | "int8" => ("int8", None),
        "real" | "float4" => ("float4", None),
        "float8" => ("float8", None),
        "bool" | "boolean" => ("bool", None),
        "text" => ("text", None),
        "varchar" => ("varchar", None),
        "bpchar" => ("bpchar", None),
        "bytea" => ("bytea", None),
        "uuid" => ("uuid", None),
        "json" => ("json", None),
        "jsonb" => ("jsonb", None),
        "jsonpath" => ("jsonpath", None),
        "date" => ("date", None),
        "timestamptz" => ("timestamptz", None),
        "timetz" => ("timetz", None),
        "numeric" | "decimal" => ("numeric", None),
        "inet" => ("inet", None),
        "cidr" => ("cidr", None),
        "macaddr" => ("macaddr", None),
        "macaddr8" => ("macaddr8", None),
        "money" => ("money", None),
        "xml" => ("xml", None),
        "tsvector" => ("tsvector", None),
        "tsquery" => ("tsquery", None),
        "point" => ("point", None),
        "line" => ("line", None),
        "lseg" => ("lseg", None),
        "box" => ("box", None),
        "path" => ("path", None),
        "polygon" => ("polygon", None),
        "circle" => ("circle", None),
        "oid" => ("oid", None),
        "regclass" => ("regclass", None),
        "regproc" => ("regproc", None),
        "regtype" => ("regtype", None),
        "name" => ("name", None),
        "int4range" => ("int4range", None),
        "int8range" => ("int8range", None),
        "numrange" => ("numrange", None),
        "tsrange" => ("tsrange", None),
        "tstzrange" => ("tstzrange", None),
        "daterange" => ("daterange", None),
        "int4multirange" => ("int4multirange", None),
        "tstzmultirange" => ("tstzmultirange", None),
        "pg_lsn" => ("pg_lsn", None),
        "txid_snapshot" => ("txid_snapshot", None),
        "varbit" => ("varbit", None),
        "bit" => ("bit", None),
        "interval" => ("interval", None),
        "time" => ("time", None),
        "timestamp" => ("timestamp", None),
        "float" => ("float8", None),
        "char" | "character" => ("bpchar", None),
        "trigger" => ("trigger", None),
        "void" => ("void", None),
        "record" => ("record", None),
        "anyelement" => ("anyelement", None),
        "anyarray" => ("anyarray", None),
        "anyenum" => ("anyenum", None),
        "cstring" => ("cstring", None),
        "internal" => ("internal", None),
        "event_trigger" => ("event_trigger", None),
        "refcursor" => ("refcursor", None),
        _ => return None,
    };
    Some(it)
}

fn exact(info: &ExactNumberInfo) -> Vec<i64> {
    match info {
        ExactNumberInfo::None => Vec::new(),
        ExactNumberInfo::Precision(p) => vec![*p as i64, 0],
        ExactNumberInfo::PrecisionAndScale(p, s) => vec![*p as i64, *s],
    }
}

fn char_len(len: &Option<CharacterLength>) -> Vec<i64> {
    match len {
        Some(CharacterLength::IntegerLength { length, .. }) => vec![*length as i64],
        _ => Vec::new(),
    }
}

fn precision(p: &Option<u64>) -> Vec<i64> {
    p.map(|p| vec![p as i64]).unwrap_or_default()
}

fn interval_fields(fields: &IntervalFields) -> &'static str {
    match fields {
        IntervalFields::Year => "year",
        IntervalFields::Month => "month",
        IntervalFields::Day => "day",
        IntervalFields::Hour => "hour",
        IntervalFields::Minute => "minute",
        IntervalFields::Second => "second",
        IntervalFields::YearToMonth => "year to month",
        IntervalFields::DayToHour => "day to hour",
        IntervalFields::DayToMinute => "day to minute",
        IntervalFields::DayToSecond => "day to second",
        IntervalFields::HourToMinute => "hour to minute",
        IntervalFields::HourToSecond => "hour to second",
        IntervalFields::MinuteToSecond => "minute to second",
    }
}

/// Resolves a type as written in SQL. Errors are PostgreSQL's messages.
pub fn resolve(dt: &DataType, catalog: &Catalog) -> Result<(TypeRef, Option<Serial>), String> {
    let simple = |name: &str| Ok((TypeRef::builtin(name), None));
    let with_mods = |name: &str, mods: Vec<i64>| Ok((TypeRef { mods, ..TypeRef::builtin(name) }, None));
    match dt {
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => simple("int4"),
        DataType::SmallInt(_) | DataType::Int2(_) => simple("int2"),
        DataType::BigInt(_) | DataType::Int8(_) => simple("int8"),
        DataType::Real | DataType::Float4 => simple("float4"),
        DataType::DoublePrecision | DataType::Float8 | DataType::Double(_) => simple("float8"),
        DataType::Float(info) => match info {
            ExactNumberInfo::Precision(p) if *p == 0 || *p > 53 => {
                Err(format!("precision for type float must be between 1 and 53 bits (got {p})"))
            }
            ExactNumberInfo::Precision(p) if *p <= 24 => simple("float4"),
            _ => simple("float8"),
        },
        DataType::Bool | DataType::Boolean => simple("bool"),
        DataType::Text => simple("text"),
        DataType::Varchar(len) | DataType::CharacterVarying(len) | DataType::CharVarying(len) => {
            with_mods("varchar", char_len(len))
        }
        DataType::Char(len) | DataType::Character(len) => {
            let mods = char_len(len);
            with_mods("bpchar", if mods.is_empty() { vec![1] } else { mods })
        }
        DataType::Uuid => simple("uuid"),
        DataType::Bytea => simple("bytea"),
        DataType::JSON => simple("json"),
        DataType::JSONB => simple("jsonb"),
        DataType::Date => simple("date"),
        DataType::Regclass => simple("regclass"),
        DataType::TsVector => simple("tsvector"),
        DataType::TsQuery => simple("tsquery"),
        DataType::Trigger => simple("trigger"),
        DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => with_mods("numeric", exact(info)),
        DataType::Time(p, tz) => {
            let name = if matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) { "timetz" } else { "time" };
            with_mods(name, precision(p))
        }
        DataType::Timestamp(p, tz) => {
            let name =
                if matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) { "timestamptz" } else { "timestamp" };
            with_mods(name, precision(p))
        }
        DataType::Interval { fields, precision: p } => Ok((
            TypeRef {
                mods: precision(p),
                fields: fields.as_ref().map(interval_fields),
                ..TypeRef::builtin("interval")
            },
            None,
        )),
        DataType::Bit(n) => with_mods("bit", if n.is_none() { vec![1] } else { precision(n) }),
        DataType::BitVarying(n) | DataType::VarBit(n) => with_mods("varbit", precision(n)),
        DataType::GeometricType(kind) => simple(match kind {
            GeometricTypeKind::Point => "point",
            GeometricTypeKind::Line => "line",
            GeometricTypeKind::LineSegment => "lseg",
            GeometricTypeKind::GeometricBox => "box",
            GeometricTypeKind::GeometricPath => "path",
            GeometricTypeKind::Polygon => "polygon",
            GeometricTypeKind::Circle => "circle",
        }),
        DataType::Array(elem) => {
            let inner = match elem {
                ArrayElemTypeDef::SquareBracket(t, _)
                | ArrayElemTypeDef::Qualified(t, _)
                | ArrayElemTypeDef::AngleBracket(t)
                | ArrayElemTypeDef::Parenthesis(t)
                | ArrayElemTypeDef::ParenthesisNotNull(t) => t,
                ArrayElemTypeDef::None => return Err("syntax error: array type without element type".into()),
            };
            let (t, serial) = resolve(inner, catalog)?;
            if serial.is_some() {
                return Err("array of serial is not implemented".into());
            }
            Ok((TypeRef { array: true, ..t }, None))
        }
        DataType::Custom(name, modifiers) => {
            let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident()).map(names::fold).collect();
            let quoted = name.0.iter().filter_map(|p| p.as_ident()).any(|i| i.quote_style.is_some());
            let (schema, base) = match parts.as_slice() {
                [base] => (None, base.clone()),
                [schema, base] => (Some(schema.clone()), base.clone()),
                _ => return Err(format!("improper qualified name (too many dotted names): {name}")),
            };
            let mods: Vec<i64> = modifiers
                .iter()
                .filter_map(|m| match m {
                    sqlparser::ast::TypeModifier::Number(n, _) => n.parse::<i64>().ok(),
                    _ => None,
                })
                .collect();
            if schema.as_deref().is_none_or(|s| s == "pg_catalog") {
                if quoted && base == "char" {
                    return simple("char");
                }
                if let Some((internal, serial)) = builtin_by_name(&base) {
                    if serial.is_some() && schema.is_some() {
                        return Err(format!("type \"pg_catalog.{base}\" does not exist"));
                    }
                    return Ok((TypeRef { mods, ..TypeRef::builtin(internal) }, serial));
                }
            }
            let qual = match schema {
                Some(schema) => QualName::new(schema, base),
                None => catalog.resolve_unqualified(&base),
            };
            if catalog.types.contains_key(&qual) || extension_type(catalog, &qual) {
                return Ok((TypeRef::user(qual), None));
            }
            Err(format!("type \"{}\" does not exist", object_name(name)))
        }
        DataType::Collate(inner, _) => resolve(inner, catalog),
        other => Err(format!("type \"{}\" does not exist", other.to_string().to_lowercase())),
    }
}

/// Types that a known extension brings (`citext`, `hstore`, `ltree`, `vector`…).
fn extension_type(catalog: &Catalog, name: &QualName) -> bool {
    let ext = match name.name.as_str() {
        "citext" => "citext",
        "hstore" => "hstore",
        "ltree" | "lquery" => "ltree",
        "vector" | "halfvec" | "sparsevec" => "vector",
        "geometry" | "geography" => "postgis",
        "cube" => "cube",
        _ => return false,
    };
    catalog.extensions.get(ext).is_some_and(|e| e.schema == name.schema)
}
