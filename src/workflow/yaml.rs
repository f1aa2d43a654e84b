//! YAML with positions: a workflow file parsed by `saphyr` into an owned tree whose every node
//! and mapping key knows its line and column. Owns the conversion and the parse error's wording;
//! it must not know what a workflow means (that is `workflow::model`).

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// The deepest nesting read; deeper documents are refused rather than risk the stack.
const MAX_DEPTH: usize = 200;

/// A place in a file: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A YAML node and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the node starts (for a block scalar, its `|` or `>` indicator).
    pub pos: Pos,
    /// What the node holds.
    pub value: Value,
}

/// The content of a node. Scalars keep their text whatever their type, as Actions reads them.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An empty value (`key:` with nothing, `~`, `null`).
    Null,
    /// A string, number or boolean, as text.
    Scalar(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<Entry>),
}

/// One `key: value` of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key as text.
    pub key: String,
    /// Where the key starts.
    pub key_pos: Pos,
    /// The value.
    pub value: Node,
}

/// A workflow file that is not YAML.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}:{}:{}: not valid YAML: {detail}; fix the file (a YAML linter shows the same)", pos.line, pos.column)]
pub struct YamlError {
    /// The file.
    pub file: String,
    /// Where the parser stopped.
    pub pos: Pos,
    /// What the parser said.
    pub detail: String,
}

/// Parses the first document of `text`; an empty file is `Null`.
pub fn parse(file: &str, text: &str) -> Result<Node, YamlError> {
    let documents = MarkedYaml::load_from_str(text).map_err(|error| YamlError {
        file: file.to_owned(),
        pos: Pos { line: error.marker().line(), column: error.marker().col() + 1 },
        detail: error.info().to_owned(),
    })?;
    let Some(first) = documents.first() else {
        return Ok(Node { pos: Pos { line: 1, column: 1 }, value: Value::Null });
    };
    convert(first, 0).map_err(|pos| YamlError {
        file: file.to_owned(),
        pos,
        detail: format!("nested deeper than {MAX_DEPTH} levels"),
    })
}

fn convert(node: &MarkedYaml<'_>, depth: usize) -> Result<Node, Pos> {
    let pos = position(node);
    if depth > MAX_DEPTH {
        return Err(pos);
    }
    let value = match &node.data {
        YamlData::Value(scalar) => scalar_text(scalar).map_or(Value::Null, Value::Scalar),
        YamlData::Representation(text, ..) => Value::Scalar(text.to_string()),
        YamlData::Sequence(items) => {
            Value::Seq(items.iter().map(|item| convert(item, depth + 1)).collect::<Result<_, _>>()?)
        }
        YamlData::Mapping(entries) => Value::Map(
            entries
                .iter()
                .map(|(key, value)| {
                    Ok(Entry {
                        key: key_text(key),
                        key_pos: position(key),
                        value: convert(value, depth + 1)?,
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
        YamlData::Tagged(_, inner) => return convert(inner, depth + 1),
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    };
    Ok(Node { pos, value })
}

fn position(node: &MarkedYaml<'_>) -> Pos {
    Pos { line: node.span.start.line(), column: node.span.start.col() + 1 }
}

fn scalar_text(scalar: &Scalar<'_>) -> Option<String> {
    match scalar {
        Scalar::Null => None,
        Scalar::Boolean(value) => Some(value.to_string()),
        Scalar::Integer(value) => Some(value.to_string()),
        Scalar::FloatingPoint(value) => Some(value.to_string()),
        Scalar::String(text) => Some(text.to_string()),
    }
}

fn key_text(key: &MarkedYaml<'_>) -> String {
    match &key.data {
        YamlData::Value(scalar) => scalar_text(scalar).unwrap_or_default(),
        YamlData::Representation(text, ..) => text.to_string(),
        _ => String::new(),
    }
}

impl Node {
    /// The value under `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// The entry under `key` when this is a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        let Value::Map(entries) = &self.value else { return None };
        entries.iter().find(|entry| entry.key == key)
    }

    /// The entries when this is a mapping, else none.
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items when this is a sequence, else none.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// The text when this is a scalar.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(text) => Some(text),
            _ => None,
        }
    }

    /// The texts of a scalar or of a sequence of scalars (`branches: main` or `[main, dev]`).
    pub fn texts(&self) -> Vec<(String, Pos)> {
        match &self.value {
            Value::Scalar(text) => vec![(text.clone(), self.pos)],
            Value::Seq(items) => {
                items.iter().filter_map(|item| Some((item.text()?.to_owned(), item.pos))).collect()
            }
            _ => Vec::new(),
        }
    }
}
