"""Cases: alerts, entities and reported claims grouped, with the analyst's judgements."""
