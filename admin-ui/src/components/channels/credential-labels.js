/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Translatable labels and help for the credential fields the daemon lists per marketplace (the
 * daemon's GET …/connection names the fields; its English labels are the fallback).
 *
 * @return {Object<string, [string, string?]>} "<channel>.<field>" → [ label, help ].
 */
function labels() {
	return {
		'amazon.client_id': [ __( 'LWA client ID', 'shelfguard' ), __( 'Login with Amazon client identifier of your SP-API application.', 'shelfguard' ) ],
		'amazon.client_secret': [ __( 'LWA client secret', 'shelfguard' ) ],
		'amazon.refresh_token': [ __( 'Refresh token', 'shelfguard' ), __( 'Issued when you authorised the application (starts with Atzr|).', 'shelfguard' ) ],
		'amazon.seller_id': [ __( 'Seller ID', 'shelfguard' ) ],
		'amazon.marketplace_id': [ __( 'Marketplace ID', 'shelfguard' ), __( 'For example ATVPDKIKX0DER for amazon.com.', 'shelfguard' ) ],
		'amazon.lwa_token_url': [ __( 'LWA token URL', 'shelfguard' ), __( 'Only for a sandbox; a path is resolved against the base URL.', 'shelfguard' ) ],
		'amazon.sqs_queue_url': [ __( 'SQS queue URL', 'shelfguard' ), __( 'The queue ORDER_CHANGE notifications are delivered to.', 'shelfguard' ) ],
		'amazon.aws_access_key_id': [ __( 'AWS access key ID', 'shelfguard' ) ],
		'amazon.aws_secret_access_key': [ __( 'AWS secret access key', 'shelfguard' ) ],
		'amazon.aws_region': [ __( 'AWS region', 'shelfguard' ) ],
		'amazon.sqs_endpoint': [ __( 'SQS endpoint', 'shelfguard' ) ],
		'ebay.clientId': [ __( 'App ID (client ID)', 'shelfguard' ) ],
		'ebay.clientSecret': [ __( 'Cert ID (client secret)', 'shelfguard' ) ],
		'ebay.refreshToken': [ __( 'User refresh token', 'shelfguard' ) ],
		'ebay.marketplaceId': [ __( 'Marketplace ID', 'shelfguard' ), __( 'Default EBAY_US.', 'shelfguard' ) ],
		'ebay.scopes': [ __( 'OAuth scopes', 'shelfguard' ), __( 'Space-separated; by default the inventory and fulfillment scopes.', 'shelfguard' ) ],
		'ebay.verificationToken': [ __( 'Notification verification token', 'shelfguard' ), __( 'Answers eBay\'s endpoint challenge.', 'shelfguard' ) ],
		'ebay.notificationEndpoint': [ __( 'Notification endpoint URL', 'shelfguard' ), __( 'The exact URL registered with eBay.', 'shelfguard' ) ],
		'walmart.clientId': [ __( 'Client ID', 'shelfguard' ) ],
		'walmart.clientSecret': [ __( 'Client secret', 'shelfguard' ) ],
		'walmart.shipNode': [ __( 'Ship node', 'shelfguard' ), __( 'Only when inventory is kept per ship node.', 'shelfguard' ) ],
		'walmart.webhookAuthMethod': [ __( 'Webhook authentication', 'shelfguard' ), __( 'HMAC (default), BASIC_AUTH or OAUTH.', 'shelfguard' ) ],
		'walmart.webhookAuthHeaderName': [ __( 'Webhook auth header', 'shelfguard' ) ],
		'walmart.webhookClientSecret': [ __( 'Webhook HMAC secret', 'shelfguard' ), __( 'By default the client secret.', 'shelfguard' ) ],
		'walmart.webhookUserName': [ __( 'Webhook user name', 'shelfguard' ) ],
		'walmart.webhookPassword': [ __( 'Webhook password', 'shelfguard' ) ],
		'walmart.webhookBearerTokens': [ __( 'Webhook bearer tokens', 'shelfguard' ), __( 'Comma-separated.', 'shelfguard' ) ],
		'tiktok.app_key': [ __( 'App key', 'shelfguard' ) ],
		'tiktok.app_secret': [ __( 'App secret', 'shelfguard' ) ],
		'tiktok.auth_code': [ __( 'Authorization code', 'shelfguard' ), __( 'Needed unless a refresh token is given.', 'shelfguard' ) ],
		'tiktok.refresh_token': [ __( 'Refresh token', 'shelfguard' ), __( 'Needed unless an authorization code is given.', 'shelfguard' ) ],
		'tiktok.shop_cipher': [ __( 'Shop cipher', 'shelfguard' ) ],
		'tiktok.auth_base_url': [ __( 'Authorization base URL', 'shelfguard' ), __( 'Where tokens are issued; by default the base URL.', 'shelfguard' ) ],
		'etsy.keystring': [ __( 'Keystring (API key)', 'shelfguard' ) ],
		'etsy.sharedSecret': [ __( 'Shared secret', 'shelfguard' ) ],
		'etsy.refreshToken': [ __( 'Refresh token', 'shelfguard' ) ],
		'etsy.shopId': [ __( 'Shop ID', 'shelfguard' ), __( 'The numeric shop id.', 'shelfguard' ) ],
		'etsy.webhookSigningSecret': [ __( 'Webhook signing secret', 'shelfguard' ) ],
	};
}

/**
 * @param {string} channel Channel code.
 * @param {Object} field   Field from the daemon: name, label, help.
 * @return {{label: string, help: string}} What to show for the field.
 */
export function fieldText( channel, field ) {
	const [ label, help ] = labels()[ `${ channel }.${ field.name }` ] ?? [];
	return { label: label ?? field.label ?? field.name, help: help ?? field.help ?? '' };
}
