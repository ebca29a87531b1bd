
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AppendEventsResult": [
      "AppendEventsSuccess",
      "WrongExpectedVersionError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AppendEventsResult": [
      "AppendEventsSuccess",
      "WrongExpectedVersionError"
    ]
  }
};
      export default result;
    