//! The five layers a control protects.

use crate::coded_enum;

coded_enum!(
    /// Where in the stack a control sits.
    Layer {
        Data => ("data", "Data"),
        Model => ("model", "Model"),
        Application => ("application", "Application"),
        Infrastructure => ("infrastructure", "Infrastructure"),
        Organizational => ("organizational", "Organizational"),
    }
);
