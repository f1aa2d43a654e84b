//! Colours by role (failure, success, muted…), read from the config; `NO_COLOR` gives a theme
//! with no colour at all, only bold and reversed text.

use ratatui::style::{Color, Modifier, Style};

/// The roles a view can colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Failed runs, jobs, steps and error lines.
    Failure,
    /// Green runs, jobs and steps.
    Success,
    /// Running or queued.
    Running,
    /// Secondary text.
    Muted,
    /// Titles and highlights.
    Accent,
    /// Warnings.
    Warning,
    /// The selected row.
    Selection,
    /// Search matches.
    Match,
    /// Lines that are a finding's evidence.
    Finding,
}

const ROLES: [(Role, &str); 9] = [
    (Role::Failure, "failure"),
    (Role::Success, "success"),
    (Role::Running, "running"),
    (Role::Muted, "muted"),
    (Role::Accent, "accent"),
    (Role::Warning, "warning"),
    (Role::Selection, "selection"),
    (Role::Match, "match"),
    (Role::Finding, "finding"),
];

/// Colours per role; `None` means no colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    colours: [Option<Color>; 9],
}

impl Theme {
    /// No colour at all.
    pub fn plain() -> Theme {
        Theme { colours: [None; 9] }
    }

    /// Sets a role's colour from config text.
    pub fn set(&mut self, role: &str, colour: &str) -> Result<(), String> {
        let index = ROLES
            .iter()
            .position(|(_, name)| *name == role)
            .ok_or_else(|| format!("unknown theme role `{role}`"))?;
        let parsed: Color =
            colour.parse().map_err(|_| format!("theme.{role}: unknown colour `{colour}`"))?;
        self.colours[index] = Some(parsed);
        Ok(())
    }

    /// Whether the theme has any colour.
    pub fn has_colour(&self) -> bool {
        self.colours.iter().any(Option::is_some)
    }

    /// The style of a role: its colour, or a modifier that stands out without colour.
    pub fn style(&self, role: Role) -> Style {
        let index = ROLES.iter().position(|(r, _)| *r == role).unwrap_or(0);
        match (self.colours[index], role) {
            (Some(colour), Role::Selection) => Style::new().bg(colour).fg(Color::White),
            (Some(colour), _) => Style::new().fg(colour),
            (None, Role::Selection) => Style::new().add_modifier(Modifier::REVERSED),
            (None, Role::Failure | Role::Finding | Role::Accent) => {
                Style::new().add_modifier(Modifier::BOLD)
            }
            (None, Role::Match) => Style::new().add_modifier(Modifier::UNDERLINED),
            (None, _) => Style::new(),
        }
    }
}
