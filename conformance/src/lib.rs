//! The conformance suite of psa-sdk: the same scenarios against every vendor simulator.
