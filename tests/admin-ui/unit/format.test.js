/**
 * WordPress dependencies
 */
import { getSettings, setSettings } from '@wordpress/date';

/**
 * Internal dependencies
 */
import { formatDuration, formatNumber, formatTime } from '../../../admin-ui/src/data/format';

describe( 'format', () => {
	const original = getSettings();
	afterEach( () => setSettings( original ) );

	test( 'a missing number shows as a dash, never as zero', () => {
		expect( [ formatNumber( null ), formatNumber( undefined ), formatNumber( 0 ) ] ).toEqual( [ '—', '—', '0' ] );
	} );
	test( 'durations under a second are milliseconds, longer ones seconds', () => {
		expect( [ formatDuration( 12.4 ), formatDuration( 1500 ), formatDuration( null ) ] ).toEqual( [ '12 ms', '1.5 s', '—' ] );
	} );
	test( 'times are shown in the site timezone with the site formats', () => {
		setSettings( { ...original, formats: { ...original.formats, date: 'Y-m-d', time: 'H:i' }, timezone: { offset: 2, offsetFormatted: '+02:00', string: 'Europe/Berlin', abbr: 'CEST' } } );
		expect( formatTime( '2025-06-01T10:00:00.000Z' ) ).toBe( '2025-06-01 12:00' );
		expect( formatTime( Date.UTC( 2025, 0, 1, 23, 30 ) ) ).toBe( '2025-01-02 00:30' );
	} );
	test( 'no time shows as a dash', () => {
		expect( formatTime( null ) ).toBe( '—' );
	} );
} );
