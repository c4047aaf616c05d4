//! The translator: an expression's syntax tree rewritten for the target dialect (functions,
//! operators, casts, literals), or the reason it cannot be.

use super::*;

pub(super) struct Tr<'a> {
    pub(super) from: Dialect,
    pub(super) to: Dialect,
    /// The rules of the dialect the expression was written in.
    pub(super) src: &'a dyn DialectRules,
    /// The rules of the target dialect.
    pub(super) rules: &'a dyn DialectRules,
    pub(super) scope: &'a Scope<'a>,
}

pub(super) use crate::sql::dialect_expr::no;

impl Tr<'_> {
    pub(super) fn list(&self, es: &[Expr]) -> Result<String, String> {
        let v: Result<Vec<String>, String> = es.iter().map(|e| self.expr(e)).collect();
        Ok(v?.join(", "))
    }

    pub(super) fn ident(&self, id: &Ident) -> String {
        let raw = id.value.as_str();
        let cols = self.scope.columns;
        if let Some(c) = cols.iter().find(|c| **c == raw) {
            return self.rules.ident(c);
        }
        let folds = self.src.folds_unquoted_identifiers();
        let case_sensitive = folds && id.quote_style.is_some();
        if !case_sensitive && let Some(c) = cols.iter().find(|c| c.eq_ignore_ascii_case(raw)) {
            return self.rules.ident(c);
        }
        if folds && id.quote_style.is_none() {
            self.rules.ident(&raw.to_lowercase())
        } else {
            self.rules.ident(raw)
        }
    }

    pub(super) fn string(&self, s: &str) -> String {
        self.rules.string_literal(s)
    }

    pub(super) fn value(&self, v: &Value) -> Result<String, String> {
        Ok(match v {
            Value::Number(n, _) => n.to_string(),
            Value::SingleQuotedString(s) | Value::NationalStringLiteral(s) => self.string(s),
            // MySQL reads "..." as a string.
            Value::DoubleQuotedString(s) => self.string(s),
            Value::EscapedStringLiteral(s) => {
                if s.contains('\\') || s.chars().any(|c| c.is_control()) {
                    return Err(no("PostgreSQL escape string E'…'", self.to));
                }
                self.string(s)
            }
            Value::Boolean(b) => self.rules.boolean_literal(*b).into(),
            Value::Null => "NULL".into(),
            other => return Err(no(format!("literal `{other}`"), self.to)),
        })
    }

    pub(super) fn expr(&self, e: &Expr) -> Result<String, String> {
        let to = self.to;
        Ok(match e {
            Expr::Identifier(id) => {
                // SQLite reads a double-quoted word that names no column as a string; a JSON
                // path ("$.a") is never a column.
                if self.src.double_quoted_strings()
                    && id.quote_style == Some('"')
                    && id.value.starts_with('$')
                {
                    self.string(&id.value)
                } else {
                    self.ident(id)
                }
            }
            Expr::CompoundIdentifier(ids) => ids
                .iter()
                .map(|i| self.ident(i))
                .collect::<Vec<_>>()
                .join("."),
            Expr::Value(v) => self.value(&v.value)?,
            Expr::Nested(inner) => format!("({})", self.expr(inner)?),
            Expr::IsNull(x) => format!("{} IS NULL", self.expr(x)?),
            Expr::IsNotNull(x) => format!("{} IS NOT NULL", self.expr(x)?),
            Expr::IsTrue(x) | Expr::IsFalse(x) | Expr::IsNotTrue(x) | Expr::IsNotFalse(x)
                if !self.rules.is_true_operators() =>
            {
                let _ = x;
                return Err(no("IS TRUE / IS FALSE", to));
            }
            Expr::IsTrue(x) => format!("{} IS TRUE", self.expr(x)?),
            Expr::IsFalse(x) => format!("{} IS FALSE", self.expr(x)?),
            Expr::IsNotTrue(x) => format!("{} IS NOT TRUE", self.expr(x)?),
            Expr::IsNotFalse(x) => format!("{} IS NOT FALSE", self.expr(x)?),
            Expr::In {
                expr,
                target: InTarget::List(items),
                negated,
                ..
            } => format!(
                "{} {}IN ({})",
                self.expr(expr)?,
                if *negated { "NOT " } else { "" },
                self.list(items)?
            ),
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => format!(
                "{} {}BETWEEN {} AND {}",
                self.expr(expr)?,
                if *negated { "NOT " } else { "" },
                self.expr(low)?,
                self.expr(high)?
            ),
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right)?,
            Expr::Like {
                negated,
                any: false,
                expr,
                pattern,
                escape_char,
            } => {
                let mut s = format!(
                    "{} {}LIKE {}",
                    self.expr(expr)?,
                    if *negated { "NOT " } else { "" },
                    self.expr(pattern)?
                );
                if let Some(esc) = escape_char {
                    s.push_str(&format!(" ESCAPE {}", self.expr(esc)?));
                }
                s
            }
            Expr::ILike {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } => {
                if self.rules.ilike() {
                    format!(
                        "{} {}ILIKE {}",
                        self.expr(expr)?,
                        if *negated { "NOT " } else { "" },
                        self.expr(pattern)?
                    )
                } else {
                    format!(
                        "lower({}) {}LIKE lower({})",
                        self.expr(expr)?,
                        if *negated { "NOT " } else { "" },
                        self.expr(pattern)?
                    )
                }
            }
            Expr::SimilarTo { .. } => return Err(no("SIMILAR TO", to)),
            Expr::RLike { .. } => return Err(no("MySQL REGEXP", to)),
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => self.array_comparison(left, compare_op, right, true)?,
            Expr::AllOp {
                left,
                compare_op,
                right,
            } => self.array_comparison(left, compare_op, right, false)?,
            Expr::UnaryOp { op, expr } => match op {
                UnaryOperator::Not => format!("NOT {}", self.expr(expr)?),
                UnaryOperator::Minus => format!("-{}", self.expr(expr)?),
                UnaryOperator::Plus => format!("+{}", self.expr(expr)?),
                other => return Err(no(format!("operator `{other}`"), to)),
            },
            Expr::Cast {
                kind: CastKind::Cast | CastKind::DoubleColon,
                expr,
                data_type,
                format: None,
            } => self.cast(expr, data_type)?,
            Expr::TypedString(ts) => {
                let ty = map_type(&ts.data_type.to_string(), self.from).ty;
                match ty {
                    LogicalType::Date
                    | LogicalType::Time
                    | LogicalType::Timestamp
                    | LogicalType::TimestampTz => self.value(&ts.value.value)?,
                    _ => return Err(no(format!("typed literal `{e}`"), to)),
                }
            }
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                let mut s = "CASE".to_string();
                if let Some(o) = operand {
                    s.push_str(&format!(" {}", self.expr(o)?));
                }
                for w in conditions {
                    s.push_str(&format!(
                        " WHEN {} THEN {}",
                        self.expr(&w.condition)?,
                        self.expr(&w.result)?
                    ));
                }
                if let Some(x) = else_result {
                    s.push_str(&format!(" ELSE {}", self.expr(x)?));
                }
                s.push_str(" END");
                s
            }
            Expr::Function(f) => self.function(f)?,
            Expr::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => {
                let mut args = vec![self.expr(expr)?];
                match substring_from {
                    Some(f) => args.push(self.expr(f)?),
                    None => args.push("1".into()),
                }
                if let Some(n) = substring_for {
                    args.push(self.expr(n)?);
                }
                self.substr(args)?
            }
            Expr::Trim {
                trim_where: None,
                trim_what: None,
                expr,
                trim_characters: None,
            } => format!("TRIM({})", self.expr(expr)?),
            Expr::Array(_) => return Err("PostgreSQL array/regclass expression".into()),
            Expr::Interval(_) if !self.rules.intervals() => {
                return Err(no("PostgreSQL interval", to));
            }
            Expr::JsonAccess { .. } | Expr::CompoundFieldAccess { .. } => {
                return Err(no("JSON/field access", to));
            }
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::In { .. } => {
                return Err(no("subquery", to));
            }
            other => return Err(no(format!("`{}`", one_line(&other.to_string())), to)),
        })
    }

    pub(super) fn binary(
        &self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
    ) -> Result<String, String> {
        use BinaryOperator as B;
        let to = self.to;
        let sym = match op {
            B::Plus => "+",
            B::Minus => "-",
            B::Multiply => "*",
            B::Divide => "/",
            B::Modulo => "%",
            B::Gt => ">",
            B::Lt => "<",
            B::GtEq => ">=",
            B::LtEq => "<=",
            B::Eq => "=",
            B::NotEq => "<>",
            B::And => "AND",
            B::Or => "OR",
            B::BitwiseAnd => "&",
            B::BitwiseOr => "|",
            B::StringConcat => {
                let mut parts = Vec::new();
                concat_parts(left, &mut parts);
                concat_parts(right, &mut parts);
                let v: Result<Vec<String>, String> =
                    parts.into_iter().map(|p| self.expr(p)).collect();
                return self
                    .rules
                    .concat(&v?)
                    .ok_or_else(|| no("string concatenation `||`", to));
            }
            B::PGRegexMatch | B::PGRegexIMatch | B::PGRegexNotMatch | B::PGRegexNotIMatch => {
                return Err(no(
                    format!("PostgreSQL regular expression operator `{op}`"),
                    to,
                ));
            }
            B::Arrow | B::LongArrow | B::HashArrow | B::HashLongArrow => {
                return Err(no(format!("JSON operator `{op}`"), to));
            }
            other => return Err(no(format!("operator `{other}`"), to)),
        };
        Ok(format!("{} {sym} {}", self.expr(left)?, self.expr(right)?))
    }

    /// `x = ANY (ARRAY[a, b])` is `x IN (a, b)`; `x <> ALL (ARRAY[a, b])` is `x NOT IN (a, b)`.
    pub(super) fn array_comparison(
        &self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
        any: bool,
    ) -> Result<String, String> {
        let mut r = right;
        loop {
            match r {
                Expr::Nested(x) => r = x,
                Expr::Cast { expr, .. } => r = expr,
                _ => break,
            }
        }
        let negated = match (op, any) {
            (BinaryOperator::Eq, true) => false,
            (BinaryOperator::NotEq, false) => true,
            _ => return Err("PostgreSQL array/regclass expression".into()),
        };
        let Expr::Array(arr) = r else {
            return Err("PostgreSQL array/regclass expression".into());
        };
        if arr.elem.is_empty() {
            return Err("PostgreSQL array/regclass expression".into());
        }
        Ok(format!(
            "{} {}IN ({})",
            self.expr(left)?,
            if negated { "NOT " } else { "" },
            self.list(&arr.elem)?
        ))
    }

    pub(super) fn cast(&self, inner: &Expr, dt: &DataType) -> Result<String, String> {
        let to = self.to;
        let text = dt.to_string();
        let lower = text.to_ascii_lowercase();
        if lower.ends_with(']') || lower.starts_with("reg") || lower.contains(".reg") {
            return Err("PostgreSQL array/regclass expression".into());
        }
        let ty = map_type(&text, self.from).ty;
        let core = strip_parens(inner);
        let literal = matches!(core, Expr::Value(_))
            || matches!(core, Expr::UnaryOp { op: UnaryOperator::Minus, expr } if matches!(**expr, Expr::Value(_)));
        let column = matches!(core, Expr::Identifier(_) | Expr::CompoundIdentifier(_));
        use LogicalType as L;
        match &ty {
            L::Interval if !self.rules.intervals() => Err(no("PostgreSQL interval", to)),
            L::Array(_) => Err("PostgreSQL array/regclass expression".into()),
            // The value is already of the column's type: the cast only names it.
            L::Text | L::Varchar(_) | L::Char(_) | L::Enum(_) | L::Native(_)
                if literal || column =>
            {
                self.expr(inner)
            }
            L::TinyInt
            | L::SmallInt
            | L::Integer
            | L::BigInt
            | L::Decimal(..)
            | L::Real
            | L::Double
            | L::Date
            | L::Time
            | L::Timestamp
            | L::TimestampTz
            | L::Uuid
            | L::Json
                if literal =>
            {
                self.expr(inner)
            }
            L::Boolean if literal => match boolean_value(core) {
                Some(b) => self.value(&Value::Boolean(b)),
                None => Err(no(format!("cast `{}`", one_line(&core.to_string())), to)),
            },
            L::Native(n) => Err(no(format!("type {n}"), to)),
            _ => Ok(format!(
                "CAST({} AS {})",
                self.expr(inner)?,
                self.cast_type(&ty)?
            )),
        }
    }

    pub(super) fn cast_type(&self, ty: &LogicalType) -> Result<String, String> {
        self.rules
            .cast_type(ty)
            .unwrap_or_else(|| crate::sql::dialect_expr::default_cast_type(self.rules, ty))
    }

    pub(super) fn substr(&self, args: Vec<String>) -> Result<String, String> {
        if !(2..=3).contains(&args.len()) {
            return Err(no("substring with these arguments", self.to));
        }
        self.rules.substr(&args)
    }

    pub(super) fn now(&self) -> Result<String, String> {
        if self.scope.place == Place::Generated {
            return Err("the current time is not allowed in a generated column".into());
        }
        Ok("CURRENT_TIMESTAMP".into())
    }

    pub(super) fn function(&self, f: &Function) -> Result<String, String> {
        let to = self.to;
        let name = match f.name.0.last() {
            Some(ObjectNamePart::Identifier(i)) => i.value.to_ascii_lowercase(),
            _ => return Err(no(format!("function `{}`", f.name), to)),
        };
        if f.name.0.len() > 1 {
            let schema = f.name.0[0].to_string().to_ascii_lowercase();
            if !matches!(schema.as_str(), "public" | "pg_catalog" | "dbo" | "main") {
                return Err(no(format!("function {}()", f.name), to));
            }
        }
        if f.over.is_some()
            || f.filter.is_some()
            || !f.within_group.is_empty()
            || f.null_treatment.is_some()
            || !matches!(f.parameters, FunctionArguments::None)
        {
            return Err(no(
                format!("function call `{}`", one_line(&f.to_string())),
                to,
            ));
        }
        let (bare, args): (bool, Vec<&Expr>) = match &f.args {
            FunctionArguments::None => (true, Vec::new()),
            FunctionArguments::List(l) => {
                if l.duplicate_treatment.is_some() || !l.clauses.is_empty() {
                    return Err(no(
                        format!("function call `{}`", one_line(&f.to_string())),
                        to,
                    ));
                }
                let mut v = Vec::new();
                for a in &l.args {
                    match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => v.push(e),
                        _ => {
                            return Err(no(
                                format!("function call `{}`", one_line(&f.to_string())),
                                to,
                            ));
                        }
                    }
                }
                (false, v)
            }
            FunctionArguments::Subquery(_) => return Err(no("subquery", to)),
        };
        let n = args.len();
        let a = |i: usize| self.expr(args[i]);
        let all = || -> Result<String, String> {
            let v: Result<Vec<String>, String> = args.iter().map(|e| self.expr(e)).collect();
            Ok(v?.join(", "))
        };
        let is_now_arg = |e: &Expr| {
            matches!(strip_parens(e), Expr::Value(v)
                if matches!(&v.value, Value::SingleQuotedString(s) if s.eq_ignore_ascii_case("now")))
        };
        let unknown = || {
            Err(format!(
                "function {name}() is not known to exist in {}",
                to.display_name()
            ))
        };
        let deterministic_only = self.scope.place == Place::Generated;
        Ok(match name.as_str() {
            "current_timestamp" | "now" | "localtimestamp" | "getdate" | "sysdatetime"
            | "getutcdate" | "sysutcdatetime" | "utc_timestamp"
                if n <= 1 =>
            {
                self.now()?
            }
            "current_date" | "curdate" if n == 0 => {
                if deterministic_only {
                    return Err("the current date is not allowed in a generated column".into());
                }
                self.rules.current_date().into()
            }
            "datetime" | "strftime"
                if self.src.now_as_function_argument() && args.iter().any(|e| is_now_arg(e)) =>
            {
                if self.scope.place != Place::Default {
                    return unknown();
                }
                self.now()?
            }
            "date" if self.src.now_as_function_argument() && n == 1 && is_now_arg(args[0]) => {
                if self.scope.place != Place::Default {
                    return unknown();
                }
                self.rules.current_date().into()
            }
            _ if bare => return unknown(),
            "lower" | "lcase" if n == 1 => format!("lower({})", a(0)?),
            "upper" | "ucase" if n == 1 => format!("upper({})", a(0)?),
            "coalesce" if n >= 1 => format!("COALESCE({})", all()?),
            "ifnull" | "nvl" | "isnull" if n == 2 => format!("COALESCE({})", all()?),
            "nullif" if n == 2 => format!("NULLIF({})", all()?),
            "abs" if n == 1 => format!("abs({})", a(0)?),
            "round" if n == 1 || n == 2 => format!("round({})", all()?),
            "length" | "char_length" | "character_length" | "len" if n == 1 => {
                format!("{}({})", self.rules.length_function(), a(0)?)
            }
            "substr" | "substring" => {
                let v: Result<Vec<String>, String> = args.iter().map(|e| self.expr(e)).collect();
                self.substr(v?)?
            }
            "trim" | "ltrim" | "rtrim" if n == 1 => format!("{}({})", name.to_uppercase(), a(0)?),
            "replace" if n == 3 => format!("REPLACE({})", all()?),
            "concat" if n >= 1 && self.rules.concat_function() => format!("CONCAT({})", all()?),
            "greatest" | "least" if n >= 2 => match self.rules.greatest_least(name == "greatest") {
                Some(f) => format!("{f}({})", all()?),
                None => return unknown(),
            },
            "mod" if n == 2 && self.rules.mod_function() => format!("mod({})", all()?),
            "mod" if n == 2 => format!("({} % {})", a(0)?, a(1)?),
            "uuid" | "gen_random_uuid" | "uuid_generate_v4" | "uuid_generate_v1"
            | "uuid_generate_v1mc" | "newid" | "newsequentialid"
                if n == 0 && !deterministic_only =>
            {
                match self.rules.uuid_function() {
                    Some(f) => f.into(),
                    None => return Err(no("a UUID generator", to)),
                }
            }
            "json_extract" if n == 2 && self.src.json_extract() && self.rules.json_extract() => {
                format!("JSON_EXTRACT({})", all()?)
            }
            _ => return unknown(),
        })
    }
}

/// The operands of a chain of `||`, left to right.
pub(super) fn concat_parts<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::StringConcat,
            right,
        } => {
            concat_parts(left, out);
            concat_parts(right, out);
        }
        other => out.push(other),
    }
}
