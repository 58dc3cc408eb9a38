use super::*;

/// A model type the registry has never heard of, with any name we like.
struct Named {
    name: String,
    value: f64,
}

impl Model for Named {
    fn name(&self) -> &str {
        &self.name
    }
    fn param_count(&self) -> usize {
        0
    }
    fn predict(&self, _x: f64) -> f64 {
        self.value
    }
}

fn named(name: &str, value: f64) -> Box<dyn Model> {
    Box::new(Named { name: name.to_owned(), value })
}

/// What the model stored under `name` answers for `x`, found with `get`
/// alone: tests about storing and finding do not depend on `predict`.
fn answer(registry: &ModelRegistry, name: &str, x: f64) -> Option<f64> {
    registry.get(name).map(|model| model.predict(x))
}

fn two_models() -> ModelRegistry {
    let mut registry = ModelRegistry::new();
    registry
        .register(Box::new(Linear { weight: 2.0, bias: 1.0 }))
        .expect("first model registers");
    registry
        .register(Box::new(MeanBaseline { mean: 10.0 }))
        .expect("second model registers");
    registry
}

#[test]
fn registered_models_are_found_by_name_and_run() {
    let registry = two_models();
    assert_eq!(registry.len(), 2, "two models registered under two names");
    assert_eq!(answer(&registry, "linear", 3.0), Some(7.0), "get(\"linear\") should find the linear model");
    assert_eq!(answer(&registry, "mean", 3.0), Some(10.0), "get(\"mean\") should find the baseline");
    assert_eq!(
        registry.predict("mean", 3.0),
        Ok(10.0),
        "predict(name, x) runs the model that get(name) finds"
    );
    assert_eq!(
        registry.predict("linear", -1.0),
        Ok(-1.0),
        "predict(name, x) runs the model that get(name) finds"
    );
}

#[test]
fn models_of_any_type_can_be_registered() {
    let mut registry = ModelRegistry::new();
    registry.register(named("ranker-v2", 0.25)).expect("a new model type registers");
    registry.register(named("ranker-v3", 0.75)).expect("a second one too");
    assert_eq!(answer(&registry, "ranker-v3", 0.0), Some(0.75), "a model type the registry never saw is stored and found");
    assert_eq!(registry.get("ranker-v2").map(|m| m.name().to_owned()), Some("ranker-v2".to_owned()));
}

#[test]
fn unknown_name_is_none_or_a_typed_error_not_a_panic() {
    let registry = two_models();
    assert!(registry.get("gpt").is_none(), "get on an unknown name is None");
    assert_eq!(
        registry.predict("gpt", 1.0),
        Err(RegistryError::UnknownModel("gpt".to_owned())),
        "predict on an unknown name is UnknownModel with the name as given"
    );
    assert_eq!(
        registry.predict("No Such Model", 1.0),
        Err(RegistryError::UnknownModel("No Such Model".to_owned())),
        "UnknownModel holds the name as the caller gave it, not the normalised key"
    );
    let empty = ModelRegistry::new();
    assert!(empty.get("linear").is_none(), "an empty registry finds nothing");
    assert!(empty.get("").is_none());
}

#[test]
fn lookup_ignores_case_and_surrounding_spaces() {
    let registry = two_models();
    for name in ["linear", "Linear", "LINEAR", "  linear ", "lInEaR"] {
        assert!(registry.get(name).is_some(), "get({name:?}) should find the linear model");
    }
    let mut registry = ModelRegistry::new();
    registry.register(named("Churn-Model", 1.0)).expect("registers");
    assert_eq!(
        answer(&registry, "churn-model", 0.0),
        Some(1.0),
        "a model registered as \"Churn-Model\" is found as \"churn-model\": the key is stored normalised"
    );
}

#[test]
fn duplicate_name_is_rejected_and_keeps_the_serving_model() {
    let mut registry = ModelRegistry::new();
    registry.register(named("scorer", 1.0)).expect("first registers");
    assert_eq!(
        registry.register(named("scorer", 2.0)),
        Err(RegistryError::Duplicate("scorer".to_owned()))
    );
    assert_eq!(
        registry.register(named(" SCORER", 3.0)),
        Err(RegistryError::Duplicate("scorer".to_owned())),
        "names differing only in case or spaces are the same model"
    );
    assert_eq!(registry.len(), 1);
    assert_eq!(answer(&registry, "scorer", 0.0), Some(1.0), "the first model must still be the one serving");
}

#[test]
fn empty_names_are_rejected() {
    let mut registry = ModelRegistry::new();
    assert_eq!(registry.register(named("", 1.0)), Err(RegistryError::EmptyName));
    assert_eq!(registry.register(named("   ", 1.0)), Err(RegistryError::EmptyName));
    assert!(registry.is_empty(), "a rejected model must not be stored");
}

#[test]
fn names_are_sorted_keys() {
    let mut registry = ModelRegistry::new();
    assert!(registry.names().is_empty());
    for name in ["zeta", "Alpha", "mid", "beta"] {
        registry.register(named(name, 0.0)).expect("distinct names register");
    }
    let got: Vec<String> = registry.names();
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(got, sorted, "names() should be sorted: a HashMap iterates in no order of its own");
    assert_eq!(got, vec!["alpha", "beta", "mid", "zeta"], "names() gives the stored keys, normalised (\"Alpha\" is stored as \"alpha\")");
}
