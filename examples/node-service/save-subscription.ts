import type { ApolloClient } from '@apollo/client';
import { graphql } from '../generated/gql.js';
import type { SaveSubscriptionInput } from '../generated/graphql.js';

const SAVE = graphql(`
  mutation SaveSubscription($input: SaveSubscriptionInput!) {
    saveSubscription(input: $input) { store name checkpoint }
  }
`);

/** Creates a persistent subscription, or changes the settings of the one of that name. */
export async function saveSubscription(apollo: ApolloClient, input: SaveSubscriptionInput): Promise<void> {
  await apollo.mutate({ mutation: SAVE, variables: { input } });
}
