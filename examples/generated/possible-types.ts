
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AppendEventsResult": [
      "AppendConditionFailedError",
      "AppendEventsSuccess",
      "StreamDeletedError",
      "WrongExpectedVersionError"
    ],
    "AppendToStreamsResult": [
      "AppendConditionFailedError",
      "AppendToStreamsSuccess",
      "StreamDeletedError",
      "WrongExpectedVersionError"
    ],
    "DeleteStreamResult": [
      "DeleteStreamSuccess",
      "StreamDeletedError",
      "WrongExpectedVersionError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AppendEventsResult": [
      "AppendConditionFailedError",
      "AppendEventsSuccess",
      "StreamDeletedError",
      "WrongExpectedVersionError"
    ],
    "AppendToStreamsResult": [
      "AppendConditionFailedError",
      "AppendToStreamsSuccess",
      "StreamDeletedError",
      "WrongExpectedVersionError"
    ],
    "DeleteStreamResult": [
      "DeleteStreamSuccess",
      "StreamDeletedError",
      "WrongExpectedVersionError"
    ]
  }
};
      export default result;
    